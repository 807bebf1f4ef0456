interface LevelMeterProps {
  /** 0 (silence) to 1 (full scale). */
  level: number;
  label: string;
  testId?: string;
}

/** A big horizontal bar showing a loudness; `data-level` carries it as 0–100 for tests and tools. */
export function LevelMeter({ level, label, testId }: LevelMeterProps) {
  const percent = Math.round(Math.min(1, Math.max(0, level)) * 100);
  return (
    <meter
      className="level-meter"
      min={0}
      max={100}
      value={percent}
      aria-label={label}
      data-testid={testId}
      data-level={percent}
    />
  );
}
