import { startApp } from './App.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

try {
  const app = await startApp(config, logger);
  logger.info({ url: app.url, workers: app.pool.size }, `共享法庭 server listening on ${app.url}`);
  if (app.demo) {
    // A person reads this once, at the first start of a demo: who can sign in, and the kiosk codes.
    const lines = [
      '',
      `共享法庭 demo seeded — open ${app.url}`,
      `  sign in (password ${app.demo.password}): ${app.demo.users.map((u) => `${u.username} (${u.role}, ${u.court})`).join(', ')}`,
      '  kiosk enrollment codes (enter one on a kiosk page):',
      ...app.demo.kiosks.map((k) => `    ${k.enrollmentCode}  ${k.site}`),
      `  site operator PIN at every demo site (confirms check-ins): ${app.demo.operatorPin}`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  logger.fatal({ err: error }, 'server failed to start');
  process.exit(1);
}
