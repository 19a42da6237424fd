/** Structured one-line JSON logs on stdout/stderr. */
type Fields = Record<string, unknown>;

function write(level: "info" | "warn" | "error", fields: Fields, message: string) {
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields });
  if (level === "error") console.error(line);
  else console.log(line);
}

export const logger = {
  info: (fields: Fields, message: string) => write("info", fields, message),
  warn: (fields: Fields, message: string) => write("warn", fields, message),
  error: (fields: Fields, message: string) => write("error", fields, message),
};
