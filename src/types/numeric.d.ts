declare module 'numeric' {
  export interface UncminResult {
    solution: number[];
    f: number;
    iterations: number;
    message: string;
  }
  const numeric: {
    uncmin(
      f: (x: number[]) => number,
      x0: number[],
      tol?: number,
      gradient?: (x: number[]) => number[],
      maxit?: number,
    ): UncminResult;
  };
  export default numeric;
}
