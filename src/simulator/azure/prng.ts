// The Azure simulator's random numbers are the shared seeded generator (src/simulator/shared/prng.ts).
export { createRng, type Rng } from '../shared/prng.js';
