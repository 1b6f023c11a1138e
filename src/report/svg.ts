/**
 * A vega-lite specification to an SVG string, in Node and without a browser: vega-lite compiles
 * it to a vega specification, and a headless vega View renders the scene graph to SVG text.
 */
import { View, parse } from "vega";
import { compile, type Config, type TopLevelSpec } from "vega-lite";

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
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
