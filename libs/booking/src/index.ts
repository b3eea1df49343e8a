export * from './booking.entity';
export * from './booking.module';
export * from './bookings.service';
export * from './dto/booking.dto';
export * from './dto/manage.dto';
export * from './dto/slots-query.dto';
export * from './reference';
export * from './slots.service';
