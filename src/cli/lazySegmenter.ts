/**
 * While the CLI's modules load, an Intl.Segmenter is made on its first use instead of when it is
 * constructed. string-width, which yargs uses to measure its help text, constructs one as it is
 * imported (every release up to 9.0.0 does; the bundle holds three copies), and ICU's set-up for
 * it costs every command 13-18 ms of start-up, although only --help ever segments. program.ts imports
 * this module before any other and calls `restoreSegmenter()` once they are loaded: what is
 * constructed later gets the real class.
 */
const RealSegmenter = Intl.Segmenter;

/** An Intl.Segmenter that constructs the real one when first asked to segment. */
export class LazySegmenter {
  private made: Intl.Segmenter | null = null;

  constructor(
    private readonly locales?: string | string[],
    private readonly options?: Intl.SegmenterOptions,
  ) {}

  private get real(): Intl.Segmenter {
    return (this.made ??= new RealSegmenter(this.locales, this.options));
  }

  segment(input: string): Intl.Segments {
    return this.real.segment(input);
  }

  resolvedOptions(): Intl.ResolvedSegmenterOptions {
    return this.real.resolvedOptions();
  }
}

replaceSegmenter(LazySegmenter);

/** Intl.Segmenter as it was before this module loaded. */
export function restoreSegmenter(): void {
  replaceSegmenter(RealSegmenter);
}

function replaceSegmenter(value: unknown): void {
  Object.defineProperty(Intl, "Segmenter", { value, writable: true, configurable: true, enumerable: false });
}
