// The part of autocannon 8's API the bench uses (the package ships no types).
declare module 'autocannon' {
  type Options = {
    url: string
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    connections?: number
    pipelining?: number
    duration?: number
    amount?: number
    timeout?: number
    sampleInt?: number
  }
  type Histogram = { average: number; mean: number; p50: number; p99: number; max: number; total: number }
  type Result = {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    resets: number
    '2xx': number
    latency: Histogram
    requests: Histogram & { sent: number }
  }
  function autocannon(opts: Options): Promise<Result>
  export default autocannon
}
