import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One weekly window, minutes since local midnight in the supporter's zone (end may be 1440). */
@Entity({ name: 'availability_rules' })
export class AvailabilityRule {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') supporterId: string;
  @Column('smallint') weekday: number;
  @Column('smallint') startMinute: number;
  @Column('smallint') endMinute: number;
}
