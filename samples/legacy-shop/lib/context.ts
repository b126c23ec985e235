// What every service gets handed: database, logger, settings, event bus and the mailer.
import type { Db } from './db.js';
import type { Logger } from './logger.js';
import type { ShopConfig } from './config.js';
import type { EventBus } from './eventBus.js';
import type { Mailer } from './mailer.js';

export interface AppContext {
  db: Db;
  logger: Logger;
  config: ShopConfig;
  events: EventBus;
  mailer: Mailer;
}
