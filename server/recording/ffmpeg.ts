import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/** The FFmpeg programs the recorder uses, found at startup. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  /** e.g. "5.1.6-0+deb12u1". */
  version: string;
  /**
   * What FFmpeg is started through: util-linux's `setpriv --pdeathsig KILL` where present, so that the
   * kernel kills a recorder when the server process dies (an orphaned FFmpeg would go on writing a
   * file the next start must finalize).
   */
  launcher: string[];
}

/** FFmpeg is missing or unusable: the server refuses to start rather than hold hearings it cannot record. */
export class FfmpegMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FfmpegMissingError';
  }
}

/**
 * Finds ffmpeg and ffprobe (Debian's package: `apt-get install ffmpeg`) and checks that they run and
 * can write the containers the recorder uses.
 */
export async function findFfmpeg(ffmpeg = 'ffmpeg', ffprobe = 'ffprobe'): Promise<FfmpegTools> {
  const versionOf = async (program: string): Promise<string> => {
    try {
      const { stdout } = await run(program, ['-hide_banner', '-version'], { timeout: 10_000 });
      return /version (\S+)/.exec(stdout)?.[1] ?? 'unknown';
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : String(error);
      throw new FfmpegMissingError(
        `${program} ${reason}: hearings are recorded with FFmpeg; install it (Debian: apt-get install ffmpeg) or set FFMPEG_PATH and FFPROBE_PATH`,
      );
    }
  };
  const version = await versionOf(ffmpeg);
  await versionOf(ffprobe);
  const { stdout } = await run(ffmpeg, ['-hide_banner', '-muxers'], { timeout: 10_000 });
  for (const muxer of ['webm', 'mp4']) {
    if (!new RegExp(`\\bE\\s+${muxer}\\b`).test(stdout)) {
      throw new FfmpegMissingError(`${ffmpeg} cannot write ${muxer} files; install Debian's ffmpeg package`);
    }
  }
  const launcher = await run('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { timeout: 5_000 }).then(
    () => ['setpriv', '--pdeathsig', 'KILL', '--'],
    () => [],
  );
  return { ffmpeg, ffprobe, version, launcher };
}

/** Starts FFmpeg through the launcher: [program, args] for child_process.spawn. */
export function ffmpegCommand(tools: FfmpegTools, args: string[]): [string, string[]] {
  const [launcher, ...launcherArgs] = tools.launcher;
  return launcher ? [launcher, [...launcherArgs, tools.ffmpeg, ...args]] : [tools.ffmpeg, args];
}

const ProbeSchema = z.object({
  streams: z
    .array(
      z.object({
        codec_name: z.string().optional(),
        nb_read_packets: z.string().optional(),
        duration: z.string().optional(),
      }),
    )
    .default([]),
  format: z.object({ duration: z.string().optional(), size: z.string().optional() }).optional(),
});

export interface ProbeResult {
  codec: string | null;
  /** Milliseconds from the first to the end of the last packet. */
  durationMs: number | null;
  /** Packets read; with stream copy one packet is one frame (video) or one Opus frame (audio). */
  frameCount: number;
}

/**
 * Measures a closed recording with ffprobe. A file whose FFmpeg was killed has no duration in its
 * header; its duration is then taken from the packets' timestamps.
 */
export async function probe(tools: FfmpegTools, file: string): Promise<ProbeResult> {
  const { stdout } = await run(
    tools.ffprobe,
    [
      '-v',
      'error',
      '-count_packets',
      '-show_entries',
      'stream=codec_name,nb_read_packets,duration:format=duration,size',
      '-of',
      'json',
      file,
    ],
    { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const parsed = ProbeSchema.parse(JSON.parse(stdout));
  const stream = parsed.streams[0];
  const frameCount = Number(stream?.nb_read_packets ?? 0) || 0;
  let seconds = Number.parseFloat(parsed.format?.duration ?? stream?.duration ?? '');
  if (!Number.isFinite(seconds) && frameCount > 0) seconds = await packetSpan(tools, file);
  return {
    codec: stream?.codec_name ?? null,
    durationMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : null,
    frameCount,
  };
}

/** End of the last packet minus start of the first, in seconds (for files without a duration). */
async function packetSpan(tools: FfmpegTools, file: string): Promise<number> {
  const { stdout } = await run(
    tools.ffprobe,
    ['-v', 'error', '-select_streams', '0', '-show_entries', 'packet=pts_time,duration_time', '-of', 'csv=p=0', file],
    { timeout: 300_000, maxBuffer: 512 * 1024 * 1024 },
  );
  let first = Number.NaN;
  let end = Number.NaN;
  for (const line of stdout.split('\n')) {
    const [pts, duration] = line.split(',').map((v) => Number.parseFloat(v));
    if (pts === undefined || !Number.isFinite(pts)) continue;
    if (!Number.isFinite(first)) first = pts;
    const packetEnd = pts + (duration !== undefined && Number.isFinite(duration) ? duration : 0);
    if (!Number.isFinite(end) || packetEnd > end) end = packetEnd;
  }
  return end - first;
}

/** SHA-256 (hex) and size of a file, read as a stream. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}
