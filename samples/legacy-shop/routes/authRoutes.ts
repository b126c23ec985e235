// Routes for customer login sessions.
import type { FastifyInstance } from 'fastify';
import type { AuthController } from '../controllers/AuthController.js';

const loginSchema = {
  body: {
    type: 'object',
    required: ['email', 'password'],
    properties: { email: { type: 'string', minLength: 3 }, password: { type: 'string', minLength: 1 } },
  },
};

export function authRoutes(app: FastifyInstance, auth: AuthController): void {
  app.post('/auth/login', { schema: loginSchema }, auth.login);
  app.post('/auth/logout', auth.logout);
  app.get('/auth/me', auth.me);
}
