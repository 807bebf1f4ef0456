import type { types as ms } from 'mediasoup';
import { z } from 'zod';
import { DtlsParametersSchema, RtpCapabilitiesSchema, RtpParametersSchema } from '../../shared/signaling.js';

/*
 * The shared schemas check the shape of RTP objects; mediasoup then validates their content and its
 * rejection is answered as BAD_REQUEST (see Peer). These typed views hand the checked objects to
 * mediasoup's API without casts.
 */
export const MsRtpParametersSchema = z.custom<ms.RtpParameters>(
  (value) => RtpParametersSchema.safeParse(value).success,
  'rtpParameters are not valid RTP parameters',
);

export const MsRtpCapabilitiesSchema = z.custom<ms.RtpCapabilities>(
  (value) => RtpCapabilitiesSchema.safeParse(value).success,
  'rtpCapabilities are not valid RTP capabilities',
);

export const MsDtlsParametersSchema: z.ZodType<ms.DtlsParameters> = DtlsParametersSchema;
