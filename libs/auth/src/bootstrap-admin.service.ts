import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainError } from '@app/common';
import { UsersService } from './users.service';

/** First start: when no user exists and BOOTSTRAP_ADMIN_* are set, that admin is created. */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.bootstrapAdmin;
    if (!admin || (await this.users.count()) > 0) return;
    try {
      await this.users.create({ email: admin.email, password: admin.password, role: 'admin' });
      this.logger.log('Created the bootstrap admin from BOOTSTRAP_ADMIN_EMAIL');
    } catch (err) {
      // Another process got there first.
      if (!(err instanceof DomainError && err.code === 'email_taken')) throw err;
    }
  }
}
