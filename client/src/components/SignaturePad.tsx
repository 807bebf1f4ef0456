import { type PointerEvent, type Ref, useEffect, useImperativeHandle, useRef } from 'react';

export interface SignaturePadHandle {
  /** Wipes the pad. */
  clear(): void;
  /**
   * The signature as a PNG data URL of at most `maxChars` characters (scaled down if needed), or null
   * when nothing is drawn or even the smallest version is too big.
   */
  toPng(maxChars: number): string | null;
}

interface SignaturePadProps {
  ref?: Ref<SignaturePadHandle>;
  /** Called when the pad goes from empty to signed or back. */
  onInk: (hasInk: boolean) => void;
  label: string;
  testId?: string;
}

/** Longest side of the stored drawing, in canvas pixels: sharp enough to read, small enough to send. */
const MAX_PIXELS_WIDE = 1600;
const SCALES = [1, 0.6, 0.4, 0.25];

/**
 * A finger-signature pad: a canvas that draws where it is touched (pen, finger or mouse, through
 * pointer events) and hands the drawing out as a PNG. Scrolling is off over the pad (touch-action).
 */
export function SignaturePad({ ref, onInk, label, testId }: SignaturePadProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stroke = useRef<{ pointerId: number; x: number; y: number } | null>(null);
  const inked = useRef(false);
  const onInkRef = useRef(onInk);
  onInkRef.current = onInk;

  // The drawing surface matches the pad's size on screen once, at mount; later resizes only stretch it.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const rect = canvas.getBoundingClientRect();
    const ratio = Math.min(2, window.devicePixelRatio || 1, MAX_PIXELS_WIDE / Math.max(1, rect.width));
    canvas.width = Math.max(1, Math.round(rect.width * ratio));
    canvas.height = Math.max(1, Math.round(rect.height * ratio));
  }, []);

  const context = (): CanvasRenderingContext2D | null => {
    const ctx = canvasRef.current?.getContext('2d') ?? null;
    if (!ctx || !canvasRef.current) return ctx;
    ctx.strokeStyle = '#111';
    ctx.fillStyle = '#111';
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = Math.max(3, canvasRef.current.width / 250);
    return ctx;
  };

  /** The event's position in canvas pixels. */
  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const canvas = event.currentTarget;
    const rect = canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * canvas.width) / Math.max(1, rect.width),
      y: ((event.clientY - rect.top) * canvas.height) / Math.max(1, rect.height),
    };
  };

  const setInked = (value: boolean) => {
    if (inked.current === value) return;
    inked.current = value;
    onInkRef.current(value);
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (stroke.current) return; // one finger at a time
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const { x, y } = point(event);
    stroke.current = { pointerId: event.pointerId, x, y };
    const ctx = context();
    if (!ctx) return;
    ctx.beginPath();
    ctx.arc(x, y, ctx.lineWidth / 2, 0, Math.PI * 2);
    ctx.fill();
    setInked(true);
  };

  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    const current = stroke.current;
    if (!current || current.pointerId !== event.pointerId) return;
    const ctx = context();
    if (!ctx) return;
    // Coalesced events keep a fast finger's line smooth.
    const events = event.nativeEvent.getCoalescedEvents?.() ?? [];
    const rect = event.currentTarget.getBoundingClientRect();
    const scaleX = event.currentTarget.width / Math.max(1, rect.width);
    const scaleY = event.currentTarget.height / Math.max(1, rect.height);
    const points =
      events.length > 0
        ? events.map((e) => ({ x: (e.clientX - rect.left) * scaleX, y: (e.clientY - rect.top) * scaleY }))
        : [point(event)];
    ctx.beginPath();
    ctx.moveTo(current.x, current.y);
    for (const p of points) ctx.lineTo(p.x, p.y);
    ctx.stroke();
    const last = points[points.length - 1];
    if (last) stroke.current = { pointerId: current.pointerId, x: last.x, y: last.y };
  };

  const endStroke = (event: PointerEvent<HTMLCanvasElement>) => {
    if (stroke.current?.pointerId === event.pointerId) stroke.current = null;
  };

  useImperativeHandle(
    ref,
    () => ({
      clear() {
        const canvas = canvasRef.current;
        canvas?.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
        stroke.current = null;
        if (inked.current) {
          inked.current = false;
          onInkRef.current(false);
        }
      },
      toPng(maxChars: number) {
        const canvas = canvasRef.current;
        if (!canvas || !inked.current) return null;
        for (const scale of SCALES) {
          let source = canvas;
          if (scale !== 1) {
            source = document.createElement('canvas');
            source.width = Math.max(1, Math.round(canvas.width * scale));
            source.height = Math.max(1, Math.round(canvas.height * scale));
            source.getContext('2d')?.drawImage(canvas, 0, 0, source.width, source.height);
          }
          const png = source.toDataURL('image/png');
          if (png.startsWith('data:image/png;base64,') && png.length <= maxChars) return png;
        }
        return null;
      },
    }),
    [],
  );

  return (
    <canvas
      ref={canvasRef}
      className="signature-pad"
      data-testid={testId}
      aria-label={label}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endStroke}
      onPointerCancel={endStroke}
    />
  );
}
