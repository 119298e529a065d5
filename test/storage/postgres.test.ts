import { describeDatabase, redactDatabaseUrl } from '../../storage/postgres';

describe('database URLs in messages', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactDatabaseUrl('postgres://dondoc:s3cr%40t@db.example.vn:5433/dondoc')).toBe(
      'postgres://dondoc:***@db.example.vn:5433/dondoc',
    );
    expect(redactDatabaseUrl('postgres://dondoc@db/dondoc')).toBe('postgres://dondoc@db/dondoc');
    expect(redactDatabaseUrl('not a url with s3cret')).not.toContain('s3cret');
  });

  it('describes where the database is without user or password', () => {
    expect(describeDatabase('postgresql://dondoc:s3cret@127.0.0.1:5433/dondoc')).toBe('127.0.0.1:5433/dondoc');
    expect(describeDatabase('postgres://u:p@db.example.vn/records')).toBe('db.example.vn:5432/records');
  });
});
