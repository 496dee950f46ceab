/** One stacked series of a bar chart: a value per period. */
export interface Series {
  name: string;
  values: readonly number[];
}

/** Colours told apart by most kinds of colour blindness (Okabe–Ito), dark enough on white. */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8f6a00', '#56b4e9', '#000000'];
export const colourOf = (i: number) => COLOURS[i % COLOURS.length]!;

const HEIGHT = 220;
const LEFT = 48;
const BOTTOM = 28;
const TOP = 8;

/**
 * A stacked bar chart drawn as inline SVG (nothing fetched, nothing
 * injected): a bar per period, a segment per series, the largest total
 * labelled on the axis. The figures are also in the table the page shows
 * below it; the chart's title and description say what it shows.
 */
export function BarChart({
  id,
  title,
  periods,
  series,
  labelOf = (period) => period.slice(5),
  width = 720,
}: {
  id: string;
  title: string;
  periods: readonly string[];
  series: readonly Series[];
  /** A period's label on the axis (default MM-DD). */
  labelOf?: (period: string) => string;
  /** The drawing's width in its own units: narrower charts keep their text larger when shown small. */
  width?: number;
}) {
  const WIDTH = width;
  const totals = periods.map((_, p) => series.reduce((sum, s) => sum + (s.values[p] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, periods.length);
  const bar = Math.max(1, slot * 0.7);
  // As many labels as fit side by side, about 50 units each.
  const labelEvery = Math.ceil(periods.length / Math.max(1, Math.floor(plotWidth / 50)));
  const y = (value: number) => TOP + plotHeight - (value / max) * plotHeight;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        id={id}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>
          {series.map((s) => `${s.name}: ${s.values.reduce((a, b) => a + b, 0)}`).join('; ')}
        </desc>
        <line x1={LEFT} y1={y(0)} x2={WIDTH - 8} y2={y(0)} class="axis" />
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={y(0)} class="axis" />
        <text x={LEFT - 4} y={y(max) + 4} text-anchor="end" class="tick">
          {max}
        </text>
        <text x={LEFT - 4} y={y(0)} text-anchor="end" class="tick">
          0
        </text>
        {periods.map((period, p) => {
          let base = 0;
          const x = LEFT + p * slot + (slot - bar) / 2;
          return (
            <g key={period} data-period={period} data-total={totals[p]}>
              {series.map((s, i) => {
                const value = s.values[p] ?? 0;
                if (value === 0) return null;
                const top = y(base + value);
                const height = y(base) - top;
                base += value;
                return (
                  <rect key={s.name} x={x} y={top} width={bar} height={height} fill={colourOf(i)}>
                    <title>{`${period} · ${s.name}: ${value}`}</title>
                  </rect>
                );
              })}
              {p % labelEvery === 0 ? (
                <text x={x + bar / 2} y={HEIGHT - 8} text-anchor="middle" class="tick">
                  {labelOf(period)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="legend">
          {series.map((s, i) => (
            <li key={s.name}>
              <span class={`swatch c${i % COLOURS.length}`} aria-hidden="true" /> {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
