/**
 * Colours of the report, safe for the common colour-vision deficiencies.
 *
 * Strategies: the Okabe-Ito palette (Okabe and Ito, "Color Universal Design", 2008), yellow last
 * as it is faint on white; a strategy keeps its colour in every chart (its place in the
 * scenario's list decides it), and beyond eight strategies the colours repeat.
 * Cost categories (an ordered sequence, from generation to output): viridis, a perceptually
 * uniform map that stays ordered in grey and under the common deficiencies; it shares no colour
 * with the strategies, so a category is never mistaken for a strategy.
 */

export const STRATEGY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442"] as const;

/** viridis from 0 to 0.85 in seven steps (its yellow end is too faint on white) */
const VIRIDIS = ["#440154", "#46327E", "#365C8D", "#277F8E", "#1FA187", "#4AC16D", "#A0DA39"] as const;

/** A colour scale (domain and range) that gives the i-th name the i-th colour, in every chart. */
export interface ColourScale {
  domain: string[];
  range: string[];
}

export function strategyColours(names: string[]): ColourScale {
  return { domain: names, range: names.map((_, i) => STRATEGY_COLOURS[i % STRATEGY_COLOURS.length]!) };
}

/** Where the strategies outnumber the colours: each strategy from the ninth on, with the one whose colour it repeats. */
export function repeatedColours(scale: ColourScale): { strategy: string; sameAs: string }[] {
  return scale.domain.slice(STRATEGY_COLOURS.length).map((strategy, i) => ({ strategy, sameAs: scale.domain[i % STRATEGY_COLOURS.length]! }));
}

/** Ordered categories spread over the viridis ramp (its ends included); beyond seven they repeat. */
export function categoryColours(names: string[]): ColourScale {
  const n = names.length;
  const at = (i: number) =>
    n > VIRIDIS.length ? VIRIDIS[i % VIRIDIS.length]! : VIRIDIS[n === 1 ? 0 : Math.round((i * (VIRIDIS.length - 1)) / (n - 1))]!;
  return { domain: names, range: names.map((_, i) => at(i)) };
}
