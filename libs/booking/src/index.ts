export * from './booking.module';
export * from './slots.service';
