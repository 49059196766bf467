#!/usr/bin/env python3
"""The original exercise, in Python, as a learner wrote it: one process answering on three
ports, each in its own language, a listen queue of 5 and a daemon thread per connection.
This lesson's server.cpp is its one-port C++ twin; put them side by side with the kit's client.

Usage: python3 original.py [ENGLISH_PORT FRENCH_PORT SPANISH_PORT]   (default 8888 8881 8000)
Stop it with Ctrl+C.
"""
import socket
import sys
import threading

GREETINGS = ["Hello, World!\n", "Bonjour, le monde\u202f!\n", "\u00a1Hola, Mundo!\n"]  # English, French, Spanish


def answer(connection, greeting):
    """One connection, on its own thread: read the request, answer, close."""
    request = connection.recv(1024)  # recv: wait for up to 1024 bytes of the request
    print(request.decode("utf-8", "replace"), end="", flush=True)  # show what the browser sent
    # sendall: send every byte (send() alone may send only part). No Content-Type and no
    # Content-Length, as in the original: the client reads until the connection closes.
    connection.sendall(b"HTTP/1.1 200 OK\r\n\r\n" + greeting.encode("utf-8"))
    connection.close()  # close: the end of the response


def listen_on(port):
    """One port's listening socket."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # socket: a TCP endpoint
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart at once (lesson 03)
    server.bind(("127.0.0.1", port))  # bind: this address and port
    server.listen(5)  # listen: a queue of 5 connections not yet accepted (lesson 06)
    print(f"listening on 127.0.0.1:{port}", flush=True)
    return server


def serve(server, greeting):
    """One port: accept forever, a daemon thread per connection."""
    while True:
        connection, address = server.accept()  # accept: wait for the next client
        # daemon=True: these threads do not keep the program alive once the main thread ends
        threading.Thread(target=answer, args=(connection, greeting), daemon=True).start()


def main():
    ports = [int(p) for p in sys.argv[1:4]] or [8888, 8881, 8000]
    servers = [listen_on(port) for port in ports]  # all three listen before any client is served
    for server, greeting in zip(servers, GREETINGS):
        threading.Thread(target=serve, args=(server, greeting), daemon=True).start()
    try:
        threading.Event().wait()  # the main thread only waits for Ctrl+C
    except KeyboardInterrupt:
        print("stopped", flush=True)


if __name__ == "__main__":
    main()
