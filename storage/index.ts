export { createPool, describeDatabase, redactDatabaseUrl, type Pool, type PoolOptions } from './postgres';
export { migrate, MigrationError, type Migration } from './migrations';
export { createPostgresLedger, createSentLedger, SENT_LEDGER_MIGRATIONS, type SentLedgerStore } from './sent-ledger';
