import { add, diag, identity, invert, Matrix, multiply, multiplyVector, subtract, transpose } from './matrix';

/**
 * Constant-velocity Kalman filter of a box, state [cx, cy, w, h, vcx, vcy, vw, vh] in pixels and
 * pixels per second. Time steps come from capture timestamps, so the filter behaves the same at
 * 5 fps as at 25 fps. Noise scales with the box size: a near (large) person moves more pixels.
 */
export interface KalmanState {
  mean: number[];
  covariance: Matrix;
}

/** Position noise of a measurement, as a share of the box size (YOLO boxes jitter ~5%). */
const MEASUREMENT_STD = 0.05;
/** How fast velocity may change: acceleration std in box sizes per second squared. */
const ACCELERATION_STD = 0.6;
/** Drift of the box size and position beyond the constant-velocity model, per second. */
const POSITION_DRIFT_STD = 0.05;

export type Xywh = [cx: number, cy: number, w: number, h: number];

export function initiate(measurement: Xywh): KalmanState {
  const [, , w, h] = measurement;
  // Position known to the measurement noise; velocity unknown (a person walks ~1 height/s), size
  // change slow.
  const posStd = [w, h, w, h].map((v) => 2 * MEASUREMENT_STD * v);
  const velStd = [1.0 * w, 1.0 * h, 0.1 * w, 0.1 * h];
  return {
    mean: [...measurement, 0, 0, 0, 0],
    covariance: diag([...posStd, ...velStd].map((v) => v * v)),
  };
}

function transition(dt: number): Matrix {
  const f = identity(8);
  for (let i = 0; i < 4; i++) f[i][i + 4] = dt;
  return f;
}

export function predict(state: KalmanState, dt: number): KalmanState {
  if (dt <= 0) return state;
  const [, , w, h] = state.mean;
  const size = [w, h, w, h];
  const q = [
    ...size.map((v) => (POSITION_DRIFT_STD * v) ** 2 * dt),
    ...size.map((v) => (ACCELERATION_STD * v) ** 2 * dt),
  ];
  const f = transition(dt);
  return {
    mean: multiplyVector(f, state.mean),
    covariance: add(multiply(multiply(f, state.covariance), transpose(f)), diag(q)),
  };
}

const H: Matrix = identity(8).slice(0, 4);

export function update(state: KalmanState, measurement: Xywh): KalmanState {
  const [, , w, h] = state.mean;
  const r = diag([w, h, w, h].map((v) => (MEASUREMENT_STD * v) ** 2));
  const ht = transpose(H);
  const s = add(multiply(multiply(H, state.covariance), ht), r);
  const gain = multiply(multiply(state.covariance, ht), invert(s));
  const predicted = multiplyVector(H, state.mean);
  const innovation = measurement.map((v, i) => v - predicted[i]);
  const mean = state.mean.map((v, i) => v + gain[i].reduce((sum, g, j) => sum + g * innovation[j], 0));
  const covariance = subtract(state.covariance, multiply(multiply(gain, H), state.covariance));
  // Width and height stay positive whatever the noise.
  mean[2] = Math.max(1, mean[2]);
  mean[3] = Math.max(1, mean[3]);
  return { mean, covariance };
}

export function toXywh(box: readonly [number, number, number, number]): Xywh {
  return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, box[2] - box[0], box[3] - box[1]];
}

export function toBox(mean: readonly number[]): [number, number, number, number] {
  const [cx, cy, w, h] = mean;
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}
