/** Helpers shared by the generated parts of the seed. */
import type { Prng } from '../prng.js';
import { dcmTimestamp } from '../time.js';
import type { Rec } from '../types.js';
import { CUSTOMER_ID } from './geography.js';

/** Everything a generated item needs to know about its region. */
export interface RegionInfo {
  region: Rec;
  cloudId: number;
  dataCenterIds: number[];
}

/** Ownership members shared by most generated infrastructure. */
export function owned(regionId: number, cloudId: number): Rec {
  return {
    budget: 10287,
    cloud: { cloudId },
    customer: { customerId: CUSTOMER_ID },
    owningAccount: { accountId: 16000 },
    owningGroups: [{ groupId: 9465 }],
    owningUser: { userId: 54321 },
    region: { regionId },
  };
}

/** A deterministic timestamp in 2013–2014. */
export function seededTimestamp(rng: Prng): string {
  return dcmTimestamp(Date.UTC(2013, 0, 1) + rng.int(0, 700) * 86_400_000 + rng.int(0, 86_399_999));
}

export function privateIp(rng: Prng): string {
  return `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function publicIp(rng: Prng): string {
  return `${rng.int(50, 54)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}
