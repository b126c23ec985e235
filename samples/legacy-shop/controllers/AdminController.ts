// HTTP handlers for the back-office dashboard and sales report.
import type { FastifyRequest } from 'fastify';
import { queryString } from '../lib/http.js';
import { parseDateParam } from '../lib/dates.js';
import { ValidationError } from '../lib/errors.js';
import type { ReportService } from '../services/ReportService.js';

export class AdminController {
  constructor(private readonly reports: ReportService) {}

  dashboard = async () => this.reports.dashboard();

  sales = async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const rawFrom = queryString(req.query.from);
    const rawTo = queryString(req.query.to);
    const from = parseDateParam(rawFrom);
    const to = parseDateParam(rawTo);
    if (rawFrom && !from) throw new ValidationError(`from must be a date such as 2024-01-31, got "${rawFrom}"`);
    if (rawTo && !to) throw new ValidationError(`to must be a date such as 2024-01-31, got "${rawTo}"`);
    return this.reports.sales(from, to);
  };
}
