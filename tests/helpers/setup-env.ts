// Test processes get fixed secrets so nothing depends on a developer's .env.local.
process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-0123456789";
process.env.TOKEN_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
