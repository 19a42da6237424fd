import bcrypt from "bcryptjs";
import { engineOfDb, type Db } from "@/server/db";
import type { User } from "@/generated/sqlite/client";
import type { Role } from "@/generated/sqlite/enums";
import { Params } from "@/server/sql";
import { signUpInput, type SignUpInput } from "@/lib/validation/auth";
import { ConflictError, NotFoundError } from "@/server/errors";
import { MicroCache } from "@/server/micro-cache";

const BCRYPT_COST = 11;
let dummyHash: string | undefined;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists");
    this.name = "EmailTakenError";
  }
}

export async function createUser(db: Db, input: SignUpInput, role: Role = "USER") {
  const data = signUpInput.parse(input);
  const existing = await db.user.findUnique({ where: { email: data.email }, select: { id: true } });
  if (existing) throw new EmailTakenError();
  try {
    return await db.user.create({
      data: { email: data.email, name: data.name, passwordHash: await hashPassword(data.password), role },
      select: { id: true, email: true, name: true, role: true },
    });
  } catch (error) {
    // A concurrent sign-up with the same email loses on the unique index.
    if ((error as { code?: string }).code === "P2002") throw new EmailTakenError();
    throw error;
  }
}

/** The user for these credentials, or null. Runs bcrypt even for unknown emails (no timing oracle). */
export async function verifyCredentials(db: Db, email: string, password: string) {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, name: true, role: true, passwordHash: true },
  });
  dummyHash ??= await hashPassword("not-a-real-password");
  const ok = await bcrypt.compare(password, user?.passwordHash ?? dummyHash);
  if (!user || !user.passwordHash || !ok) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/**
 * The signed-in user as the API sees it: re-read so role changes and deleted accounts apply. Every
 * request reads it, so it is one raw statement (a Prisma model query costs several times as much CPU).
 */
export async function findSessionUser(db: Db, id: string): Promise<SessionUser> {
  const p = new Params(engineOfDb(db));
  const [user] = await db.$queryRawUnsafe<NonNullable<SessionUser>[]>(
    `SELECT "id", "email", "name", "role" FROM "User" WHERE "id" = ${p.add(id)}`,
    ...p.values,
  );
  return user ?? null;
}
export type SessionUser = Pick<User, "id" | "email" | "name" | "role"> | null;

/**
 * The HTTP API's lookup: each user re-read at most once a second per process, however many requests
 * their open tabs make. A role change made here applies at once (setRole forgets the entry); one made
 * on another instance, within a second.
 */
const sessionUsers = new MicroCache<{ user: SessionUser }>({ ttlMs: 1_000 });
export async function findSessionUserCached(db: Db, id: string): Promise<SessionUser> {
  return (await sessionUsers.get(id, async () => ({ user: await findSessionUser(db, id) }))).user;
}

/** Links an OAuth sign-in (GitHub/Google) to a user with that email, creating the user if needed. */
export async function upsertOAuthUser(
  db: Db,
  profile: { email: string; name?: string | null; image?: string | null },
  account: { provider: string; providerAccountId: string; type: string },
) {
  const email = profile.email.trim().toLowerCase();
  const user = await db.user.upsert({
    where: { email },
    update: {},
    create: { email, name: profile.name ?? null, image: profile.image ?? null },
    select: { id: true, email: true, name: true, role: true },
  });
  await db.account.upsert({
    where: { provider_providerAccountId: { provider: account.provider, providerAccountId: account.providerAccountId } },
    update: {},
    create: { userId: user.id, ...account },
  });
  return user;
}

/** Admin: every user with their task count. */
export async function listUsers(db: Db) {
  const users = await db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true, _count: { select: { tasks: true } } },
  });
  return users.map(({ _count, ...u }) => ({ ...u, tasks: _count.tasks }));
}

/** Admin: changes a user's role, with an audit entry. The last admin cannot be demoted (no lock-out). */
export async function setRole(db: Db, actorId: string, input: { userId: string; role: "ADMIN" | "USER" | "VIEWER" }) {
  return db
    .$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
      if (!user) throw new NotFoundError("User");
      if (user.role === "ADMIN" && input.role !== "ADMIN" && (await tx.user.count({ where: { role: "ADMIN" } })) <= 1) {
        throw new ConflictError("This is the last administrator: make someone else an administrator first");
      }
      const updated = await tx.user.update({
        where: { id: user.id },
        data: { role: input.role },
        select: { id: true, role: true },
      });
      await tx.auditLog.create({
        data: {
          actorId,
          action: "SET_ROLE",
          targetType: "User",
          targetId: user.id,
          details: { from: user.role, to: input.role },
        },
      });
      return updated;
    })
    .finally(() => sessionUsers.forget(input.userId));
}
