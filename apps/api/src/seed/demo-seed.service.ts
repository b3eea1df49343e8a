import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuthUser, UsersService } from '@app/auth';
import { APP_CONFIG, AppConfig } from '@app/common';
import { IntakeService } from '@app/intake';
import { SupportersService } from '@app/supporters';
import { DEMO_SUPPORTERS } from './demo-data';

const SEED_ACTOR: AuthUser = {
  id: '00000000-0000-0000-0000-000000000000',
  email: 'seed',
  role: 'admin',
  supporterId: null,
};

/**
 * Demo data for a newcomer: only on an empty embedded database (or DEMO_SEED=true
 * on an empty external one). Passwords are random and printed once, here.
 */
@Injectable()
export class DemoSeedService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly supporters: SupportersService,
    private readonly intakes: IntakeService,
  ) {}

  async seedIfEmpty(): Promise<string[] | undefined> {
    if (!this.config.demoSeed || (await this.users.count()) > 0) return undefined;
    const password = () => randomBytes(12).toString('base64url');
    const accounts = [
      { email: 'admin@demo.local', password: password(), role: 'admin' as const },
      { email: 'intake@demo.local', password: password(), role: 'intake' as const },
    ];
    let firstPeer: string | undefined;
    for (const { weekly, ...dto } of DEMO_SUPPORTERS) {
      const s = await this.supporters.create(dto);
      await this.supporters.replaceAvailability(s.id, { weekly }, SEED_ACTOR);
      if (!firstPeer && s.kind === 'peer') firstPeer = s.id;
    }
    for (const a of accounts) await this.users.create(a);
    // A few open calls in the queue (fictional people, Ofcom drama-range numbers).
    const consent = { privacyNotice: true as const };
    const noDanger = { immediateDanger: false };
    await this.intakes.create(
      {
        service: 'peer_support',
        caller: {
          name: 'Dr Sam Example',
          phone: '07700 900101',
          email: 'sam.example@demo.local',
          role: 'doctor',
          specialty: 'Emergency medicine',
          workplace: 'Northgate NHS Trust',
        },
        risk: noDanger,
        consent,
      },
      null,
    );
    await this.intakes.create(
      {
        service: 'counselling',
        caller: { name: 'Alex Student', phone: '07700 900102', role: 'medical_student' },
        preferences: { modality: 'video' },
        risk: noDanger,
        consent,
      },
      null,
    );
    await this.intakes.create(
      {
        service: 'peer_support',
        caller: { name: 'Dr Lee Abroad', phone: '07700 900103', role: 'doctor', timeZone: 'Asia/Singapore' },
        risk: noDanger,
        gmcInvestigation: true,
        consent,
      },
      null,
    );
    const supporterLogin = { email: 'asha.patel@demo.local', password: password() };
    await this.users.create({ ...supporterLogin, role: 'supporter', supporterId: firstPeer });
    const lines = [
      'Demo data seeded (printed once, on this first start only):',
      `  admin:     ${accounts[0].email}  password: ${accounts[0].password}`,
      `  intake:    ${accounts[1].email}  password: ${accounts[1].password}`,
      `  supporter: ${supporterLogin.email}  password: ${supporterLogin.password}`,
      `  ${DEMO_SUPPORTERS.length} supporters with weekly availability, 3 open calls in the intake queue`,
    ];
    return lines;
  }
}
