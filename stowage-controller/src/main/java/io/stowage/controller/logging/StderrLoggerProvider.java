package io.stowage.controller.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The controller's SLF4J provider: JOSDK's and fabric8's log lines on stderr, one line each.
 *
 * <p>It is not registered as a service: the {@code stowage} distribution also carries {@code
 * slf4j-nop}, which keeps the initializer's stderr to its own contract, and two registered
 * providers would make SLF4J print a warning there. {@code stowage controller} selects this one
 * with the {@code slf4j.provider} system property before anything logs.
 */
public final class StderrLoggerProvider implements SLF4JServiceProvider {
  private final ILoggerFactory loggers = new StderrLoggerFactory();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Makes SLF4J use this provider; call before the first logger is created. */
  public static void select() {
    System.setProperty("slf4j.provider", StderrLoggerProvider.class.getName());
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}
}
