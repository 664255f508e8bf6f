import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { TooManyRequestsError, UnauthenticatedError } from '../errors';
import type { Deps } from '../http/deps';
import type { StoredUser } from '../users/model';
import { UserRepository } from '../users/repository';
import { decoyHash, verifyPassword } from './passwords';
import type { Principal } from './principal';
import { signAccessToken } from './tokens';

/** Failed sign-ins allowed per window: per account, and per source address. */
export const THROTTLE = { windowSeconds: 15 * 60, perAccount: 5, perSource: 30 } as const;

export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  principal: Principal;
}

export const hashRefreshToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export function principalOfUser(u: StoredUser): Principal {
  return {
    userId: u.id,
    role: u.role,
    name: u.name,
    orgId: u.orgId,
    jurisdictionId: u.jurisdictionId,
    jurisdictionPath: u.jurisdictionPath,
  };
}

const badCredentials = () => new UnauthenticatedError('Wrong username or password.', '用户名或密码错误');

export class AuthService {
  private readonly users: UserRepository;
  constructor(private readonly deps: Deps) {
    this.users = new UserRepository(deps.doc, deps.config.tableName);
  }

  async signIn(username: string, password: string, source: string): Promise<Session> {
    const nowS = Math.floor(this.deps.now().getTime() / 1000);
    const window = Math.floor(nowS / THROTTLE.windowSeconds);
    const subjects = [`acct#${username.toLowerCase()}`, `src#${source}`];
    const [acct, src] = await this.users.failures(subjects, window);
    if ((acct ?? 0) >= THROTTLE.perAccount || (src ?? 0) >= THROTTLE.perSource) {
      throw new TooManyRequestsError((window + 1) * THROTTLE.windowSeconds - nowS);
    }
    const user = await this.users.byUsername(username);
    // Hash even when the account is unknown, so response time does not reveal which accounts exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok || user.status !== 'active') {
      const ttl = (window + 2) * THROTTLE.windowSeconds;
      await Promise.all(subjects.map((s) => this.users.recordFailure(s, window, ttl)));
      throw badCredentials();
    }
    return this.issue(user, randomUUID());
  }

  /** Rotates the refresh token; presenting an already-rotated token revokes its whole family. */
  async refresh(refreshToken: string): Promise<Session> {
    const hash = hashRefreshToken(refreshToken);
    const ctx = await this.users.refreshContext(hash);
    const nowS = Math.floor(this.deps.now().getTime() / 1000);
    const refuse = () =>
      new UnauthenticatedError(
        'The refresh token is invalid, expired or revoked.',
        '刷新令牌无效、已过期或已撤销',
      );
    if (!ctx || ctx.familyRevoked || ctx.token.expiresAt <= nowS || !ctx.user || ctx.user.status !== 'active')
      throw refuse();
    if (ctx.token.usedAt) {
      await this.users.revokeFamily(ctx.token.familyId, ctx.token.expiresAt);
      throw refuse();
    }
    const next = this.newRefresh(ctx.user.id, ctx.token.familyId, nowS);
    const rotated = await this.users.rotateRefresh(hash, next.record, this.deps.now().toISOString());
    if (!rotated) {
      await this.users.revokeFamily(ctx.token.familyId, ctx.token.expiresAt);
      throw refuse();
    }
    return this.session(ctx.user, next.token);
  }

  async signOut(refreshToken: string): Promise<void> {
    const ctx = await this.users.refreshContext(hashRefreshToken(refreshToken));
    if (ctx) await this.users.revokeFamily(ctx.token.familyId, ctx.token.expiresAt);
  }

  private async issue(user: StoredUser, familyId: string): Promise<Session> {
    const nowS = Math.floor(this.deps.now().getTime() / 1000);
    const next = this.newRefresh(user.id, familyId, nowS);
    await this.users.putRefresh(next.record);
    return this.session(user, next.token);
  }

  private newRefresh(userId: string, familyId: string, nowS: number) {
    const token = randomBytes(32).toString('base64url');
    return {
      token,
      record: {
        hash: hashRefreshToken(token),
        userId,
        familyId,
        expiresAt: nowS + this.deps.config.refreshTokenTtlSeconds,
      },
    };
  }

  private async session(user: StoredUser, refreshToken: string): Promise<Session> {
    const principal = principalOfUser(user);
    const accessToken = signAccessToken(
      principal,
      await this.deps.keyRing(),
      this.deps.config,
      this.deps.now().getTime(),
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.deps.config.accessTokenTtlSeconds,
      refreshToken,
      principal,
    };
  }
}
