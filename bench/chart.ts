/** The page-latency-against-depth chart, as a self-contained SVG written by hand (no dependencies). */
import type { DepthResults } from './measureDepth';

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { top: 48, right: 24, bottom: 56, left: 72 };

interface Series {
  readonly label: string;
  readonly color: string;
  readonly dash?: string;
  readonly points: readonly { x: number; y: number }[];
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** 1, 2, 5 × 10^n steps giving about `count` ticks up to `max`. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw)!;
  const ticks: number[] = [];
  for (let value = 0; value <= max + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function formatRows(value: number): string {
  if (value >= 1_000_000) return `${Number((value / 1_000_000).toPrecision(3))}M`;
  if (value >= 1_000) return `${Number((value / 1_000).toPrecision(3))}k`;
  return String(value);
}

export function latencyChartSvg(depth: DepthResults, rows: number, subtitle: string): string {
  const series: Series[] = [
    {
      label: 'OFFSET strategy (Java sample): COUNT(*) + LIMIT offset, n',
      color: '#d62728',
      points: depth.points.map((point) => ({ x: point.offset, y: point.offsetTotalMs })),
    },
    {
      label: 'OFFSET strategy: the LIMIT offset, n SELECT alone',
      color: '#ff9896',
      dash: '6 4',
      points: depth.points.map((point) => ({ x: point.offset, y: point.offsetSelectMs })),
    },
    {
      label: 'connector: QueryData page (keyset), answer serialized',
      color: '#1f77b4',
      points: depth.points.map((point) => ({ x: point.offset, y: point.connectorMs })),
    },
  ];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxX = Math.max(1, rows);
  const yTicks = niceTicks(Math.max(...series.flatMap((line) => line.points.map((point) => point.y))) * 1.05);
  const xTicks = niceTicks(maxX, 5).filter((tick) => tick <= maxX);
  const maxY = yTicks[yTicks.length - 1]!;
  const sx = (x: number) => MARGIN.left + (x / maxX) * plotWidth;
  const sy = (y: number) => MARGIN.top + plotHeight - (y / maxY) * plotHeight;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ` +
      `font-family="Helvetica, Arial, sans-serif" font-size="12" role="img">`,
    `<title>Page latency against depth: the connector's keyset paging stays flat, the OFFSET strategy grows with depth</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="15" font-weight="bold">Page latency against depth (${depth.pageSize} rows per page)</text>`,
    `<text x="${MARGIN.left}" y="37" fill="#555">${escapeXml(subtitle)}</text>`,
  );
  for (const tick of yTicks) {
    const y = sy(tick).toFixed(1);
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${tick}</text>`,
    );
  }
  for (const tick of xTicks) {
    const x = sx(tick).toFixed(1);
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${MARGIN.top}" y2="${MARGIN.top + plotHeight}" stroke="#f0f0f0"/>`,
      `<text x="${x}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${formatRows(tick)}</text>`,
    );
  }
  parts.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 14}" text-anchor="middle">rows before the page (depth)</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">ms per page (median)</text>`,
  );
  for (const line of series) {
    const path = line.points.map((point) => `${sx(point.x).toFixed(1)},${sy(point.y).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${line.color}" stroke-width="2.5"` +
        (line.dash ? ` stroke-dasharray="${line.dash}"` : '') +
        '/>',
    );
    for (const point of line.points) {
      parts.push(
        `<circle cx="${sx(point.x).toFixed(1)}" cy="${sy(point.y).toFixed(1)}" r="3.5" fill="${line.color}"/>`,
      );
    }
  }
  parts.push(
    `<rect x="${MARGIN.left + 4}" y="${MARGIN.top + 3}" width="420" height="${series.length * 18 + 4}" fill="#ffffff" ` +
      'fill-opacity="0.85"/>',
  );
  series.forEach((line, index) => {
    const y = MARGIN.top + 14 + index * 18;
    const x = MARGIN.left + 12;
    parts.push(
      `<line x1="${x}" x2="${x + 24}" y1="${y}" y2="${y}" stroke="${line.color}" stroke-width="2.5"` +
        (line.dash ? ` stroke-dasharray="${line.dash}"` : '') +
        '/>',
      `<text x="${x + 32}" y="${y}" dominant-baseline="middle">${escapeXml(line.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
