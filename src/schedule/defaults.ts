/** The schedule's default, apart from the runner so that `--help` can show it without loading croner. */
export const DEFAULT_CRON = '0 6 * * *';
