/**
 * PNG pictures of the HTML charts (KPI tiles, tables, pivots) for thumbnails: their text drawn onto a
 * canvas, cell by cell. Browsers cannot rasterise arbitrary HTML without a library (or an SVG
 * foreignObject that taints the canvas), and a thumbnail needs the figures, not the exact styling.
 */
const FONT = "'Segoe UI', system-ui, -apple-system, 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif";

export function htmlPng(element: HTMLElement, width: number, height: number): string {
  const canvas = document.createElement('canvas');
  const scale = 2;
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.textBaseline = 'top';

  const kpiValue = element.querySelector<HTMLElement>('.kpi-value');
  if (kpiValue) {
    drawKpi(ctx, element, kpiValue, width);
    return canvas.toDataURL('image/png');
  }
  // Tables: every row of cells in view, laid out in equal columns.
  const rows = Array.from(element.querySelectorAll<HTMLElement>('[role="row"], tr'));
  const lineHeight = 20;
  let y = 8;
  for (const row of rows) {
    if (y + lineHeight > height) break;
    const cells = Array.from(row.querySelectorAll<HTMLElement>('[role="columnheader"], [role="rowheader"], [role="cell"], th, td'));
    if (!cells.length) continue;
    const columnWidth = (width - 16) / cells.length;
    const header = cells.every((c) => c.matches('[role="columnheader"], th'));
    const bold = header || row.classList.contains('total');
    ctx.font = `${bold ? '600 ' : ''}12px ${FONT}`;
    ctx.fillStyle = header ? '#4a5668' : '#17202e';
    cells.forEach((cell, i) => {
      const text = cell.textContent ?? '';
      const right = cell.classList.contains('num');
      ctx.textAlign = right ? 'right' : 'left';
      const x = 8 + i * columnWidth + (right ? columnWidth - 6 : 0);
      ctx.fillText(fit(ctx, text, columnWidth - 8), x, y);
    });
    y += lineHeight;
    ctx.fillStyle = '#edf0f4';
    ctx.fillRect(8, y - 3, width - 16, 1);
  }
  return canvas.toDataURL('image/png');
}

function drawKpi(ctx: CanvasRenderingContext2D, element: HTMLElement, value: HTMLElement, width: number) {
  const label = element.querySelector('.kpi-label')?.textContent ?? '';
  const delta = element.querySelector('.kpi-delta');
  ctx.textAlign = 'left';
  ctx.fillStyle = '#5d6879';
  ctx.font = `12px ${FONT}`;
  ctx.fillText(fit(ctx, label, width - 24), 12, 12);
  ctx.fillStyle = '#17202e';
  ctx.font = `600 34px ${FONT}`;
  ctx.fillText(fit(ctx, value.textContent ?? '', width - 24), 12, 34);
  if (delta) {
    ctx.font = `600 13px ${FONT}`;
    ctx.fillStyle = delta.classList.contains('up') ? '#1b7a4b' : delta.classList.contains('down') ? '#b42323' : '#5d6879';
    ctx.fillText(fit(ctx, delta.querySelector('[aria-hidden="true"]')?.textContent ?? '', width - 24), 12, 80);
  }
}

/** `text`, cut with an ellipsis to fit `max` pixels. */
function fit(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
