/**
 * The sign-in email: one single-use link per agency registered at the address. Written like every other dondoc
 * email (the "[dondoc]" subject prefix, the greeting, the closing and the automatic-mail footer of render.ts), in the
 * language the officer used on the sign-in page.
 */
import type { Language } from './kinds';
import { closing, escapeHtml, mailFooterSentence, type RenderedEmail } from './render';

export interface SignInEmailInput {
  language: Language;
  /** The address the link was asked for (said in the mail so a stranger's request is recognised). */
  email: string;
  /** One link per agency registered at the address. */
  links: readonly { agencyName: string; url: string }[];
  /** How long the links work. */
  minutes: number;
}

export function renderSignInEmail(input: SignInEmailInput): RenderedEmail {
  const vi = input.language === 'vi';
  const e = escapeHtml;
  const subject = vi ? '[dondoc] Liên kết đăng nhập hệ thống' : '[dondoc] Sign-in link';
  const greeting = vi ? 'Kính gửi: quý cơ quan' : 'To: your agency';
  const intro = vi
    ? `Hệ thống nhận được yêu cầu đăng nhập bằng địa chỉ ${input.email}. Bấm liên kết dưới đây trong ${input.minutes} phút; mỗi liên kết dùng được một lần.`
    : `dondoc received a request to sign in with ${input.email}. Use the link below within ${input.minutes} minutes; each link works once.`;
  const ignore = vi
    ? 'Nếu quý cơ quan không yêu cầu đăng nhập, hãy bỏ qua thư này; không ai đăng nhập được nếu không bấm liên kết.'
    : 'If your agency did not ask to sign in, ignore this email; nobody can sign in without the link.';
  const forward = vi
    ? 'Liên kết dành riêng cho quý cơ quan, không chuyển tiếp cho người khác.'
    : 'The link is for your agency only; do not forward it.';
  const footer = `${mailFooterSentence(input.language)} ${forward}`;
  const text = [
    greeting,
    '',
    intro,
    ...input.links.map((l) => `- ${l.agencyName}: ${l.url}`),
    '',
    ignore,
    '',
    closing(input.language),
    '',
    '--',
    footer,
    '',
  ]
    .join('\n')
    .normalize('NFC');
  const htmlBody =
    `<!DOCTYPE html><html lang="${input.language}"><head><meta charset="utf-8"><title>dondoc</title></head><body>` +
    `<p><strong>${e(greeting)}</strong></p><p>${e(intro)}</p><ul>` +
    input.links.map((l) => `<li>${e(l.agencyName)} — <a href="${e(l.url)}">${e(l.url)}</a></li>`).join('') +
    `</ul><p>${e(ignore)}</p><p>${e(closing(input.language))}</p>` +
    `<p style="margin-top:20px;padding-top:8px;border-top:1px solid #d8dde6;font-size:12px;color:#666666;">${e(footer)}</p>` +
    `</body></html>`;
  return { subject: subject.normalize('NFC'), text, html: htmlBody.normalize('NFC') };
}
