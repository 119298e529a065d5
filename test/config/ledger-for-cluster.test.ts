import { checkLedgerForCluster, ConfigError, loadConfig } from '../../config';

const SECRET = 'ledger-check-secret-ledger-check-secret-0';

describe('a worker on a real Temporal and its mail ledger', () => {
  test('with the file ledger it refuses to start, naming what to set; the password of no URL is shown', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.tinh.gov.vn:7233', DONDOC_LINK_SECRET: SECRET });
    let error: unknown;
    try {
      checkLedgerForCluster(config);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DONDOC_DATABASE_URL');
    expect(message).toContain('DONDOC_SINGLE_HOST=true');
    expect(message).toContain('temporal.tinh.gov.vn:7233');
  });

  test('starts with PostgreSQL, with the operator saying it is one host, and on the embedded dev server', () => {
    const url = 'postgres://dondoc:mat-khau-bi-mat@127.0.0.1:5432/dondoc';
    const cluster = { TEMPORAL_ADDRESS: 'temporal.tinh.gov.vn:7233', DONDOC_LINK_SECRET: SECRET };
    expect(() => checkLedgerForCluster(loadConfig({ ...cluster, DONDOC_DATABASE_URL: url }))).not.toThrow();
    expect(() => checkLedgerForCluster(loadConfig({ ...cluster, DONDOC_SINGLE_HOST: 'true' }))).not.toThrow();
    expect(() => checkLedgerForCluster(loadConfig({}))).not.toThrow();
  });
});
