import { adminQuery } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.TEST_ADMIN_URL;
  const template = process.env.TEST_TEMPLATE_DB;
  if (adminUrl && template) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${template}"`).catch(() => undefined);
  await globalThis.__TEST_PG_STOP__?.();
}
