package io.gigflow.support;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * A TCP relay between the application and a server of the test (an SMTP server), which counts
 * the connections the application opens, knows how many are open, and can cut them all, as a
 * server does that closes idle connections or restarts.
 */
public final class CountingTcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final IntSupplier targetPort;
    private final AtomicInteger opened = new AtomicInteger();
    private final List<Socket[]> open = new CopyOnWriteArrayList<>();

    /** Relays to 127.0.0.1 at the port the supplier names when a connection comes in. */
    public CountingTcpProxy(IntSupplier targetPort) {
        this.targetPort = targetPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections the application opened so far. */
    public int opened() {
        return opened.get();
    }

    /** Connections open now (neither side closed them). */
    public int openNow() {
        open.removeIf(pair -> pair[0].isClosed() || pair[1].isClosed());
        return open.size();
    }

    /** Cuts every open connection, both sides. */
    public void cutAll() {
        for (Socket[] pair : open) {
            closeQuietly(pair[0]);
            closeQuietly(pair[1]);
        }
        open.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort.getAsInt());
                opened.incrementAndGet();
                Socket[] pair = {client, server};
                open.add(pair);
                pump(client, server, pair);
                pump(server, client, pair);
            } catch (IOException e) {
                // the listener was closed, or the server refused: the client sees its connection closed
            }
        }
    }

    private void pump(Socket from, Socket to, Socket[] pair) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // cut, or the other side closed
            } finally {
                closeQuietly(pair[0]);
                closeQuietly(pair[1]);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        cutAll();
    }
}
