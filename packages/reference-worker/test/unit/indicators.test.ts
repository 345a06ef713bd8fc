import { describe, expect, it } from "vitest";
import { rsi, sma, stochastic, stochRsi } from "../../src/indicators.js";

describe("indicators", () => {
  it("sma averages the last n values and is NaN before that or around a NaN", () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([Number.NaN, Number.NaN, 2, 3, 4]);
    expect(sma([1, Number.NaN, 3, 4, 5], 2)).toEqual([Number.NaN, Number.NaN, Number.NaN, 3.5, 4.5]);
    expect(sma([7, 9], 1)).toEqual([7, 9]);
  });

  it("rsi follows Wilder's smoothing on a hand-checked series", () => {
    // closes 1,2,3,2,1,2 with period 2; changes +1,+1,-1,-1,+1
    // i=2: avg gain (1+1)/2=1, avg loss 0            -> 100
    // i=3: gain (1*1+0)/2=0.5,  loss (0*1+1)/2=0.5    -> RS 1   -> 50
    // i=4: gain 0.25, loss 0.75                        -> RS 1/3 -> 25
    // i=5: gain (0.25+1)/2=0.625, loss 0.375           -> RS 5/3 -> 62.5
    const values = rsi([1, 2, 3, 2, 1, 2], 2);
    expect(values.slice(0, 2)).toEqual([Number.NaN, Number.NaN]);
    for (const [i, expected] of [100, 50, 25, 62.5].entries()) expect(values[i + 2]).toBeCloseTo(expected, 12);
  });

  it("rsi is 50 on a flat series, 100 on a rising one, and undefined without enough data", () => {
    expect(rsi([5, 5, 5, 5], 2).slice(2)).toEqual([50, 50]);
    expect(rsi([1, 2, 3, 4], 3)[3]).toBe(100);
    expect(rsi([1, 2, 3], 3)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });

  it("stochastic places a value between the window's low and high, NaN on a flat window", () => {
    expect(stochastic([1, 2, 3, 2, 1, 2], 3)).toEqual([Number.NaN, Number.NaN, 100, 0, 0, 100]);
    expect(stochastic([1, 3, 2], 3)[2]).toBe(50);
    expect(stochastic([4, 4, 4], 2)).toEqual([Number.NaN, Number.NaN, Number.NaN]);
  });

  it("stochRsi chains rsi -> stochastic -> sma (%K) -> sma (%D)", () => {
    const closes = [10, 11, 10.5, 12, 11.2, 11.8, 13, 12.1, 12.6, 11.9, 12.8, 13.4];
    const settings = { rsi_period: 3, stoch_period: 3, smooth_k: 2, smooth_d: 2 };
    const { k, d } = stochRsi(closes, settings);
    const expectedK = sma(stochastic(rsi(closes, 3), 3), 2);
    expect(k).toEqual(expectedK);
    expect(d).toEqual(sma(expectedK, 2));
    // rsi from index 3, stochastic from 5, %K from 6, %D from 7
    expect(k.findIndex((v) => !Number.isNaN(v))).toBe(6);
    expect(d.findIndex((v) => !Number.isNaN(v))).toBe(7);
  });
});
