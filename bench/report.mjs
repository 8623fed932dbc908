// The bench's one table: rows with budgets, their status, and how values and budgets are written.
import { KB } from './support.mjs';

/**
 * @typedef {object} Row
 * @property {string} id stable key in latest.json
 * @property {string} metric
 * @property {number | null} value null: not measured (see note)
 * @property {string} unit 'KB' | 'ms' | 'ms/token' | '×' | '/s' | 'score'
 * @property {number | null} budget the value must be ≤ budget (≥ for a 'score' or an `atLeast` row); null: reported only
 * @property {boolean} [atLeast] the value must reach the budget rather than stay under it (a rate)
 * @property {number} [aim] a stricter target, shown next to the budget
 * @property {string} [display] overrides the formatted value
 * @property {string} [note] shown in the table
 * @property {string} [violation] a broken rule the number alone does not show (marks the row ❌, shown in the table)
 * @property {unknown} [detail] kept in latest.json only
 */

/** @returns {Row} */
export function notMeasured(id, metric, unit, budget, note) {
  return { id, metric, value: null, unit, budget, note };
}

export function status(row) {
  if (row.violation) return '❌';
  if (row.value === null || !Number.isFinite(row.value)) return row.budget === null ? 'ℹ️' : '❌';
  if (row.budget === null) return 'ℹ️';
  if (row.unit === 'score' || row.atLeast) return row.value >= row.budget ? '✅' : '❌';
  if (row.value > row.budget) return '❌';
  return row.aim !== undefined && row.value > row.aim ? '✅ (over aim)' : '✅';
}

function formatValue(row) {
  if (row.value === null || !Number.isFinite(row.value)) return row.note ?? 'not measured';
  if (row.display) return row.display;
  switch (row.unit) {
    case 'KB':
      return `${row.value.toFixed(1)} KB`;
    case 'ms/token':
      return `${row.value.toFixed(3)} ms`;
    case '×':
      return `${row.value.toFixed(2)}×`;
    case '/s':
      return `${row.value.toFixed(1)} /s`;
    default:
      return `${row.value.toFixed(0)} ${row.unit}`;
  }
}

function formatBudget(row) {
  if (row.budget === null) return '—';
  if (row.unit === 'score') return `≥ ${row.budget}`;
  const unit = row.unit === 'ms/token' ? ' ms' : row.unit === '×' ? '×' : ` ${row.unit}`;
  if (row.atLeast) return `≥ ${row.budget}${unit}`;
  return `≤ ${row.budget}${unit}${row.aim !== undefined ? ` (aim ≤ ${row.aim}${unit})` : ''}`;
}

export function renderTable(rows) {
  const escape = (text) => String(text).replaceAll('|', '\\|');
  const lines = ['| metric | value | budget | status |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    const remark = row.violation ?? (row.value !== null ? row.note : undefined);
    const metric = remark ? `${row.metric} — ${remark}` : row.metric;
    lines.push(`| ${[metric, formatValue(row), formatBudget(row), status(row)].map(escape).join(' | ')} |`);
  }
  return lines.join('\n');
}

export function formatSize(bytes) {
  return bytes >= KB * KB ? `${(bytes / KB / KB).toFixed(2)} MB` : `${(bytes / KB).toFixed(1)} KB`;
}

export function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}
