// Types for parse-prometheus-text-format (the package ships none): what its parser returns, as
// its README shows and its source (dist/parse-prometheus-text-format.cjs.js) builds it.
declare module "parse-prometheus-text-format" {
  /** One sample, or for a histogram or summary the samples it folded together. Values stay strings ("1.0", "+Inf"). */
  export interface PrometheusMetric {
    value?: string;
    labels?: Record<string, string>;
    timestamp_ms?: string;
    /** Histograms: count per `le` bound. */
    buckets?: Record<string, string>;
    /** Summaries: value per quantile. */
    quantiles?: Record<string, string>;
    count?: string;
    sum?: string;
  }

  export interface PrometheusFamily {
    name: string;
    help: string;
    /** The `# TYPE` upper-cased ("COUNTER", "GAUGE", "HISTOGRAM", "SUMMARY"), or "UNTYPED". */
    type: string;
    metrics: PrometheusMetric[];
  }

  /** Throws an InvalidLineError on a line that is not in the text format. */
  export default function parsePrometheusTextFormat(text: string): PrometheusFamily[];
}
