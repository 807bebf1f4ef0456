import type { types as ms } from 'mediasoup';

/** The file FFmpeg writes for a codec: container (by FFmpeg muxer name), extension and MIME type. */
export interface Container {
  muxer: 'webm' | 'mp4';
  extension: string;
  contentType: string;
  /** Extra muxer arguments. */
  args: string[];
}

/**
 * WebM written as one-second clusters, each flushed to disk as it closes: when FFmpeg (or the server)
 * dies, the file is readable and holds everything up to the last second. (By default the muxer keeps
 * five seconds or more in memory.)
 */
const WEBM_ARGS = ['-cluster_time_limit', '1000', '-flush_packets', '1'];

/**
 * VP8, VP9 and Opus are copied into WebM; H.264 into fragmented MP4 with one-second fragments. Both
 * stay readable up to their last cluster or fragment when FFmpeg is killed, and both play in Chromium.
 */
export function containerFor(mimeType: string): Container {
  const codec = mimeType.toLowerCase();
  if (codec === 'audio/opus') return { muxer: 'webm', extension: 'webm', contentType: 'audio/webm', args: WEBM_ARGS };
  if (codec === 'video/vp8' || codec === 'video/vp9') {
    return { muxer: 'webm', extension: 'webm', contentType: 'video/webm', args: WEBM_ARGS };
  }
  if (codec === 'video/h264') {
    return {
      muxer: 'mp4',
      extension: 'mp4',
      contentType: 'video/mp4',
      args: [
        '-movflags',
        '+frag_keyframe+empty_moov+default_base_moof',
        '-frag_duration',
        '1000000',
        '-flush_packets',
        '1',
      ],
    };
  }
  throw new RangeError(`no recording container for codec ${mimeType}`);
}

/** The codec a recorder's consumer will receive: the producer's media codec, without RTX. */
export function mediaCodecOf(rtpParameters: ms.RtpParameters): ms.RtpCodecParameters {
  const codec = rtpParameters.codecs.find((c) => !/\/(rtx|red|ulpfec|flexfec)$/i.test(c.mimeType));
  if (!codec) throw new RangeError('the stream carries no media codec');
  return codec;
}

/**
 * The receiving side's RTP capabilities for a recorder: the router's entry of exactly the producer's
 * codec (same MIME type and, for H.264, the same profile), with no RTX, so the consumer sends FFmpeg one
 * payload type. Header extensions are left out: FFmpeg ignores them.
 */
export function recorderCapabilities(
  router: ms.RtpCapabilities,
  producerCodec: ms.RtpCodecParameters,
): ms.RtpCapabilities {
  const wanted = producerCodec.mimeType.toLowerCase();
  const codecs = (router.codecs ?? []).filter((c) => {
    if (c.mimeType.toLowerCase() !== wanted) return false;
    if (wanted !== 'video/h264') return true;
    return (
      String(c.parameters?.['profile-level-id'] ?? '') === String(producerCodec.parameters?.['profile-level-id'] ?? '')
    );
  });
  return { codecs: codecs.length > 0 ? codecs.slice(0, 1) : [], headerExtensions: [] };
}

/**
 * The SDP that tells FFmpeg what arrives on its UDP ports: one media section with exactly the payload
 * type, clock rate, channels and format parameters the consumer negotiated.
 */
export function recorderSdp(options: {
  kind: 'audio' | 'video';
  rtpParameters: ms.RtpParameters;
  ip: string;
  rtpPort: number;
  rtcpPort: number;
}): string {
  const { kind, rtpParameters, ip, rtpPort, rtcpPort } = options;
  const codec = mediaCodecOf(rtpParameters);
  const name = codec.mimeType.split('/')[1];
  if (!name) throw new RangeError(`malformed codec MIME type ${codec.mimeType}`);
  const pt = codec.payloadType;
  const rtpmap = `${name}/${codec.clockRate}${kind === 'audio' && codec.channels ? `/${codec.channels}` : ''}`;
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
  const lines = [
    'v=0',
    `o=- 0 0 IN IP4 ${ip}`,
    's=shared-court recording',
    `c=IN IP4 ${ip}`,
    't=0 0',
    `m=${kind} ${rtpPort} RTP/AVP ${pt}`,
    `a=rtcp:${rtcpPort}`,
    `a=rtpmap:${pt} ${rtpmap}`,
    ...(fmtp ? [`a=fmtp:${pt} ${fmtp}`] : []),
    'a=recvonly',
  ];
  return `${lines.join('\r\n')}\r\n`;
}
