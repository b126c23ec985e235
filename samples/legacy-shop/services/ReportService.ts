// Back-office reports: the admin dashboard and daily sales, straight off the shared tables.
import type { AppContext } from '../lib/context.js';
import { ValidationError } from '../lib/errors.js';
import { addDays } from '../lib/dates.js';
import { ReportRepository } from '../repositories/ReportRepository.js';
import type { Dashboard, SalesDay } from '../models/Report.js';

export class ReportService {
  private readonly reports: ReportRepository;

  constructor(private readonly ctx: AppContext) {
    this.reports = new ReportRepository(ctx.db);
  }

  async dashboard(): Promise<Dashboard> {
    // TODO: cache this; the query plan is awful on the production-sized database
    const [totals, ordersByStatus, topProducts, lowStock, revenueByCarrier] = await Promise.all([
      this.reports.totals(),
      this.reports.ordersByStatus(),
      this.reports.topProducts(5),
      this.reports.lowStock(this.ctx.config.lowStockThreshold, 10),
      this.reports.revenueByCarrier(),
    ]);
    return { totals, ordersByStatus, topProducts, lowStock, revenueByCarrier };
  }

  /** Sales per UTC day in [from, to); defaults to the 30 days before `to`. */
  async sales(from: Date | undefined, to: Date | undefined): Promise<{ from: string; to: string; days: SalesDay[] }> {
    const end = to ?? new Date();
    const start = from ?? addDays(end, -30);
    if (start.getTime() >= end.getTime()) throw new ValidationError('from must be before to');
    if (end.getTime() - start.getTime() > 366 * 86_400_000) throw new ValidationError('the report covers at most 366 days');
    return { from: start.toISOString(), to: end.toISOString(), days: await this.reports.salesByDay(start, end) };
  }
}
