import * as os from 'node:os';
import { z } from 'zod';

const PortSchema = z.coerce.number().int().min(0).max(65535);

/** Server configuration, read from the environment and checked before anything starts. */
export const ConfigSchema = z
  .object({
    HOST: z.string().default('127.0.0.1'),
    PORT: PortSchema.default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** PostgreSQL (postgres://…); when absent the embedded SQLite file DATABASE_FILE is used. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
      .optional(),
    DATABASE_FILE: z.string().min(1).default('data/shared-court.sqlite'),
    /** How long a judge's or clerk's sign-in lasts. */
    SESSION_TTL_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(12),
    /** Seed an empty database with the demo courts, sites, kiosks, accounts and today's hearings. */
    SEED_DEMO: z
      .enum(['true', 'false', '1', '0'])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    /** Password of every seeded demo account. */
    DEMO_PASSWORD: z.string().min(10).default('shared-court-demo'),
    /** Minutes kept free between two hearings of the same judge, clerk or kiosk. */
    BOOKING_BUFFER_MINUTES: z.coerce.number().int().min(0).max(240).default(10),
    /** Built UI to serve; empty disables static serving (API and signaling only). */
    UI_DIR: z.string().default('dist/client'),
    /** mediasoup workers; one per core by default. */
    MEDIA_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
    /** IP the WebRTC servers listen on (0.0.0.0 for every interface). */
    MEDIA_LISTEN_IP: z.string().default('127.0.0.1'),
    /** Address announced to browsers in ICE candidates, when it differs from the listen IP (NAT). */
    MEDIA_ANNOUNCED_ADDRESS: z.string().optional(),
    /** First UDP/TCP port of the WebRTC servers, one per worker (port, port+1, …); 0 picks free ports. */
    MEDIA_PORT: PortSchema.default(40000),
    MEDIA_MIN_PORT: PortSchema.default(40100),
    MEDIA_MAX_PORT: PortSchema.default(40999),
    /** Where hearing recordings are written (created if missing). */
    RECORDING_DIR: z.string().min(1).default('data/recordings'),
    /** Below this much free space on the recording disk no session starts without the judge's say-so. */
    RECORDING_MIN_FREE_MB: z.coerce.number().int().min(0).default(1024),
    /** Closed hearings' recordings older than this are deleted (audited); 0 keeps them forever. */
    RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
    /** FFmpeg writing nothing for this long while its stream arrives counts as a recorder failure. */
    RECORDING_STALL_SECONDS: z.coerce.number().min(1).max(120).default(5),
    /**
     * Loopback UDP ports FFmpeg receives the recorded streams on (two per stream); below Linux's
     * ephemeral range (32768–60999), so that no browser or client socket takes them meanwhile.
     */
    RECORDING_MIN_PORT: PortSchema.default(31000),
    RECORDING_MAX_PORT: PortSchema.default(31999),
    FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
    FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  })
  .refine((c) => c.MEDIA_MIN_PORT <= c.MEDIA_MAX_PORT, {
    message: 'MEDIA_MIN_PORT must not exceed MEDIA_MAX_PORT',
  })
  .refine((c) => c.RECORDING_MIN_PORT < c.RECORDING_MAX_PORT, {
    message: 'RECORDING_MIN_PORT must be below RECORDING_MAX_PORT',
  });

export type Config = z.infer<typeof ConfigSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = ConfigSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    throw new TypeError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** Where the data lives: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export function databaseUrl(config: Config): string {
  return config.DATABASE_URL ?? config.DATABASE_FILE;
}
