// The names of the Docker files a workspace may hold: small on purpose, so the countdown's
// watcher can know them without loading the review (its YAML parser and schema validator).
export const DOCKERFILE = "Dockerfile";
/** The names docker compose looks for, in its order of preference. */
export const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"] as const;
/** Every file the Docker review reads. */
export const DOCKER_FILES: readonly string[] = [DOCKERFILE, ...COMPOSE_FILES];
