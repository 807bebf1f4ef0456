import type { types as ms } from 'mediasoup';
import { describe, expect, it } from 'vitest';
import { containerFor, mediaCodecOf, recorderCapabilities, recorderSdp } from './sdp.js';

const opus: ms.RtpParameters = {
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: 100,
      clockRate: 48000,
      channels: 2,
      parameters: { minptime: 10, useinbandfec: 1 },
    },
  ],
  encodings: [{ ssrc: 1111 }],
};

const vp8WithRtx: ms.RtpParameters = {
  codecs: [
    { mimeType: 'video/VP8', payloadType: 101, clockRate: 90000, parameters: {} },
    { mimeType: 'video/rtx', payloadType: 102, clockRate: 90000, parameters: { apt: 101 } },
  ],
  encodings: [{ ssrc: 2222, rtx: { ssrc: 3333 } }],
};

describe('the SDP FFmpeg receives a recorded stream with', () => {
  it('names exactly the negotiated payload type, clock rate, channels and format parameters (audio)', () => {
    const sdp = recorderSdp({ kind: 'audio', rtpParameters: opus, ip: '127.0.0.1', rtpPort: 31000, rtcpPort: 31001 });
    expect(sdp.split('\r\n')).toEqual([
      'v=0',
      'o=- 0 0 IN IP4 127.0.0.1',
      's=shared-court recording',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 31000 RTP/AVP 100',
      'a=rtcp:31001',
      'a=rtpmap:100 opus/48000/2',
      'a=fmtp:100 minptime=10;useinbandfec=1',
      'a=recvonly',
      '',
    ]);
  });

  it('leaves RTX out and writes no empty fmtp line (video)', () => {
    const sdp = recorderSdp({
      kind: 'video',
      rtpParameters: vp8WithRtx,
      ip: '127.0.0.1',
      rtpPort: 31002,
      rtcpPort: 31003,
    });
    expect(sdp).toContain('m=video 31002 RTP/AVP 101\r\n');
    expect(sdp).toContain('a=rtpmap:101 VP8/90000\r\n');
    expect(sdp).not.toContain('rtx');
    expect(sdp).not.toContain('a=fmtp');
    expect(mediaCodecOf(vp8WithRtx).payloadType).toBe(101);
  });

  it('asks the router for the producer codec only, with the same H.264 profile', () => {
    const router: ms.RtpCapabilities = {
      codecs: [
        { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
        { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 101 },
        { kind: 'video', mimeType: 'video/rtx', clockRate: 90000, preferredPayloadType: 102, parameters: { apt: 101 } },
        {
          kind: 'video',
          mimeType: 'video/H264',
          clockRate: 90000,
          preferredPayloadType: 103,
          parameters: { 'packetization-mode': 1, 'profile-level-id': '4d0032' },
        },
        {
          kind: 'video',
          mimeType: 'video/H264',
          clockRate: 90000,
          preferredPayloadType: 105,
          parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
        },
      ],
      headerExtensions: [{ kind: 'video', uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', preferredId: 1 }],
    };
    const vp8 = recorderCapabilities(router, { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 });
    expect(vp8.codecs?.map((c) => c.preferredPayloadType)).toEqual([101]);
    expect(vp8.headerExtensions).toEqual([]);
    const h264 = recorderCapabilities(router, {
      mimeType: 'video/H264',
      payloadType: 97,
      clockRate: 90000,
      parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f' },
    });
    expect(h264.codecs?.map((c) => c.preferredPayloadType)).toEqual([105]);
  });

  it('writes VP8 and Opus as WebM and H.264 as fragmented MP4, each flushed every second', () => {
    expect(containerFor('video/VP8')).toMatchObject({ muxer: 'webm', contentType: 'video/webm' });
    expect(containerFor('audio/opus')).toMatchObject({ muxer: 'webm', contentType: 'audio/webm' });
    expect(containerFor('video/H264')).toMatchObject({ muxer: 'mp4', contentType: 'video/mp4' });
    expect(containerFor('video/VP8').args).toContain('-cluster_time_limit');
    expect(containerFor('video/H264').args.join(' ')).toContain('frag_keyframe');
    expect(() => containerFor('video/AV1')).toThrow(/no recording container/);
  });
});
