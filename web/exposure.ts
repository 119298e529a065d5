/**
 * Who can reach this web server, decided at start-up from configuration: on loopback, an open board (no
 * DONDOC_BOARD_TOKEN) is a developer's own machine; anywhere else it would let anyone read every agency's tasks, so
 * start-up refuses it. Pure functions of the configuration.
 */
import { ConfigError, type DondocConfig } from '../config';

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1';
}

function urlHost(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * Refuses (ConfigError, exit 2) a web server without sign-in whose public URL or listening address is not
 * loopback. With sign-in configured, or on loopback, does nothing.
 */
export function checkWebExposure(config: DondocConfig): void {
  if (config.web.boardToken !== undefined) return;
  const problems: string[] = [];
  if (!isLoopbackHost(urlHost(config.web.publicUrl)))
    problems.push(
      `DONDOC_BOARD_TOKEN: địa chỉ công khai ${new URL(config.web.publicUrl).origin} không phải máy này (loopback), nên phải bật đăng nhập: đặt DONDOC_BOARD_TOKEN (ít nhất 12 ký tự) rồi khởi động lại`,
    );
  if (!isLoopbackHost(config.web.host))
    problems.push(
      `DONDOC_BOARD_TOKEN: máy chủ web nghe trên ${config.web.host} (DONDOC_WEB_HOST), không phải loopback, nên phải bật đăng nhập: đặt DONDOC_BOARD_TOKEN (ít nhất 12 ký tự) rồi khởi động lại`,
    );
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Warnings to print at start-up (Vietnamese), empty when sign-in is configured. */
export function webStartupWarnings(config: DondocConfig): string[] {
  if (config.web.boardToken !== undefined) return [];
  return [
    'CẢNH BÁO: chưa bật đăng nhập (DONDOC_BOARD_TOKEN). Bảng theo dõi mở cho mọi người trên máy này, chỉ xem;',
    '  hộp thư đi trên web hiện thư nhưng ẩn mọi liên kết thao tác. Trước khi cho người khác truy cập, đặt DONDOC_BOARD_TOKEN.',
  ];
}
