/**
 * Dates typed on the web doors' action forms read as dd/mm/yyyy (what the pages show, whatever the browser's
 * locale), yyyy-mm-dd still accepted from scripts and the JSON API; a text that is no day is refused in the form's
 * words.
 */
import { ACTION_FORMS, FormInputError, parseActionFields } from '../../web/action-forms';
import { dayInput } from '../../web/date-input';

describe('action form dates', () => {
  const ext = ACTION_FORMS.request_extension;

  it('reads a requested date typed as dd/mm/yyyy or yyyy-mm-dd into the same day', () => {
    for (const typed of ['31/12/2026', '31/12/2026 ', '2026-12-31', '31.12.2026'])
      expect(parseActionFields(ext, { newDue: typed, reason: 'Chờ số liệu' })).toMatchObject({ newDue: '2026-12-31' });
  });

  it('refuses a text that is no day, naming the field and the format, and still lists the other problems', () => {
    let error: unknown;
    try {
      parseActionFields(ext, { newDue: '30/02/2026' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormInputError);
    const problems = (error as FormInputError).problems;
    expect(problems[0]).toMatch(/^"[^"]+" phải là một ngày có thật, dạng dd\/mm\/yyyy$/);
    expect(problems.length).toBeGreaterThan(1);
  });

  it('renders a required day field as a dd/mm/yyyy text input', () => {
    const field = dayInput('newDue', '', { label: 'Thời hạn mới', required: true }).html;
    expect(field).toContain('type="text"');
    expect(field).toContain('placeholder="dd/mm/yyyy"');
    expect(field).toMatch(/ required>$/);
    expect(dayInput('x', '2026-03-05').html).toContain('value="05/03/2026"');
  });
});
