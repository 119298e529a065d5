import { ConfigError, loadConfig } from '../../config';

describe('DONDOC_DATABASE_URL', () => {
  test('unset: no database (the file ledger of one host)', () => {
    expect(loadConfig({}).database.url).toBeUndefined();
  });

  test('a postgres URL is taken as it is', () => {
    const url = 'postgres://dondoc:s3cret-value@127.0.0.1:5433/dondoc';
    expect(loadConfig({ DONDOC_DATABASE_URL: url }).database.url).toBe(url);
    expect(loadConfig({ DONDOC_DATABASE_URL: 'postgresql://db.example.vn/dondoc' }).database.url).toBe(
      'postgresql://db.example.vn/dondoc',
    );
  });

  test.each([
    ['mysql://dondoc:s3cret-value@127.0.0.1/dondoc'],
    ['postgres://dondoc:s3cret-value@127.0.0.1:5433'],
    ['127.0.0.1:5433/dondoc?password=s3cret-value'],
    ['postgres://:s3cret-value@/dondoc'],
  ])('%s is refused, naming the variable and never showing the secret', (value) => {
    let caught: unknown;
    try {
      loadConfig({ DONDOC_DATABASE_URL: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('DONDOC_DATABASE_URL=(giá trị bí mật, không hiển thị)');
    expect(message).toContain('URL PostgreSQL');
    expect(message).not.toContain('s3cret-value');
  });
});
