/**
 * The {@code pulse} commands (picocli): run, respond, demo, tail, probe, status. Exit codes 0
 * (success), 1 (failure), 2 (bad usage or configuration). Nothing here accepts or returns
 * {@code null}.
 */
package io.pulse.sidecar.cli;
