// HTTP handlers for login/logout and "who am I" with a bearer token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../models/Session.js';
import type { AuthService } from '../services/AuthService.js';

export class AuthController {
  constructor(private readonly auth: AuthService) {}

  login = async (req: FastifyRequest<{ Body: { email: string; password: string } }>) => {
    return this.auth.login(req.body.email, req.body.password);
  };

  logout = async (req: FastifyRequest, reply: FastifyReply) => {
    await this.auth.logout(bearerToken(req.headers.authorization) ?? '');
    return reply.code(204).send();
  };

  me = async (req: FastifyRequest) => this.auth.authenticate(bearerToken(req.headers.authorization));
}
