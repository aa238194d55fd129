// Licensed seats: whether one more active member fits, with Auto-Flex and True-up allowing overage.
// Catalogue PRV-09 (SCIM), JIT-03 (JIT sign-in); DEA-01 decision: deactivated members free their seat.

import { DomainError } from './errors.ts';

export interface SeatPolicy {
  licensedSeats: number;
  usedSeats: number;
  /** Auto-Flex: seats grow automatically with usage (source 002) */
  autoFlex: boolean;
  /** True-up: overage is billed later (source 002) */
  trueUp: boolean;
}

/** PRV-09: a new active member fits while a licensed seat is free, or always with Auto-Flex or True-up. */
export function seatAvailable(seats: SeatPolicy, extra = 1): boolean {
  if (seats.autoFlex || seats.trueUp) return true;
  return seats.usedSeats + extra <= seats.licensedSeats;
}

/** Throws `no_seats_available` (PRV-09 decision: SCIM detail "no seats available"). */
export function assertSeatAvailable(seats: SeatPolicy, extra = 1): void {
  if (!seatAvailable(seats, extra)) {
    throw new DomainError('no_seats_available', 'no seats available', {
      licensedSeats: seats.licensedSeats,
      usedSeats: seats.usedSeats,
    });
  }
}

export function assertValidSeatCount(licensedSeats: number): void {
  if (!Number.isInteger(licensedSeats) || licensedSeats < 0) {
    throw new DomainError('invalid_value', 'licensedSeats must be a non-negative integer', { licensedSeats });
  }
}
