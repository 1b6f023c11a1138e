/**
 * A vega-lite specification to an SVG string, in Node and without a browser: vega-lite compiles
 * it to a vega specification, and a headless vega View renders the scene graph to SVG text.
 */
import { View, parse } from "vega";
import { compile, type Config, type TopLevelSpec } from "vega-lite";
import { esc } from "./html.js";

/** The look shared by every chart. */
const CONFIG: Config = {
  font: "sans-serif",
  background: "white",
  padding: 8,
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#e6e6e6" },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "bold" },
  header: { labelFontSize: 12, titleFontSize: 12 },
};

export async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec, { config: CONFIG }).spec), { renderer: "none" });
  try {
    return named(await view.toSVG(), spec.description);
  } finally {
    view.finalize();
  }
}

/**
 * The SVG as one image named by the chart's description, for screen readers: vega leaves its
 * root unnamed (a reader heard every tick label run together) and names its marks by internal
 * fields ("upper_ciLow", "order"), which role="img" keeps from being read one by one.
 */
function named(svg: string, description: string | undefined): string {
  if (!description) return svg;
  const text = esc(description);
  return svg.replace(/^<svg /, `<svg role="img" aria-label="${text}" `).replace(">", `><title>${text}</title>`);
}
