const UNITS = ['KB', 'MB', 'GB', 'TB'] as const;

/**
 * A size for people: "0 bytes", "740 bytes", "12 KB", "3.4 MB", "4.27 GB" (powers of 1024, as the browser's own
 * storage settings show them). Three significant digits at most: storage figures are estimates.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) {
    const whole = Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0));
    return whole === 1 ? '1 byte' : `${whole} bytes`;
  }
  let value = bytes;
  let unit: (typeof UNITS)[number] = 'KB';
  for (const next of UNITS) {
    unit = next;
    value /= 1024;
    if (value < 1024) break;
  }
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  // Rounding 1023.9 KB to no decimals would show "1024 KB"; say "1 MB" instead.
  const rounded = Number(value.toFixed(digits));
  const index = UNITS.indexOf(unit);
  if (rounded >= 1024 && index < UNITS.length - 1) return `1 ${UNITS[index + 1]}`;
  return `${rounded.toLocaleString('en', { maximumFractionDigits: digits })} ${unit}`;
}
