/**
 * The Intl.Segmenter stand-in the bin installs while its modules load (src/cli/lazySegmenter.ts):
 * it constructs the real one only when first asked to segment, segments as the real one does,
 * and leaves the real class in place once restored.
 */
import { afterAll, describe, expect, it } from "vitest";

const Real = Intl.Segmenter;
let constructed = 0;
// counts the constructions of the real class, which the module takes as it loads
Object.defineProperty(Intl, "Segmenter", {
  value: new Proxy(Real, { construct: (target, args) => (constructed++, Reflect.construct(target, args)) }),
  writable: true,
  configurable: true,
});
const { LazySegmenter, restoreSegmenter } = await import("../src/cli/lazySegmenter.js");
const installed = Intl.Segmenter;
restoreSegmenter();
const restored = Intl.Segmenter;
Object.defineProperty(Intl, "Segmenter", { value: Real, writable: true, configurable: true });
afterAll(() => Object.defineProperty(Intl, "Segmenter", { value: Real, writable: true, configurable: true }));

describe("LazySegmenter", () => {
  it("is Intl.Segmenter while the modules load, and the real class again once restored", () => {
    expect(installed).toBe(LazySegmenter);
    expect(restored).not.toBe(LazySegmenter);
    expect(new restored().segment("ab")).toBeDefined();
  });

  it("constructs the real segmenter on first use only, and segments as it does", () => {
    const before = constructed;
    const lazy = new LazySegmenter("en", { granularity: "grapheme" });
    expect(constructed).toBe(before);
    const text = "e\u0301 👍🏽 日本 ok";
    const segments = (s: Iterable<Intl.SegmentData>) => [...s].map((d) => d.segment);
    expect(segments(lazy.segment(text))).toEqual(segments(new Real("en", { granularity: "grapheme" }).segment(text)));
    segments(lazy.segment(text));
    expect(constructed).toBe(before + 1);
    expect(lazy.resolvedOptions()).toEqual(new Real("en", { granularity: "grapheme" }).resolvedOptions());
  });
});
