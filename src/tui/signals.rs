//! The signals the editor answers, so every way it can be ended or paused leaves the terminal
//! as it found it: SIGTERM, SIGHUP, SIGINT and SIGQUIT end it like a quit that keeps the edits
//! in the journal (in raw mode Ctrl-C is a key, so a SIGINT only comes from outside, `kill
//! -INT`); SIGTSTP (`kill -TSTP`, or a job-control stop) suspends it like Ctrl-Z.

/// What a signal asks of the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Quit now; the journal keeps the edits.
    Terminate,
    /// Give the terminal back and stop until continued.
    Suspend,
}

/// The signal streams (none where the platform has no such signals).
pub struct Signals {
    #[cfg(unix)]
    ends: Vec<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    stop: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    pub fn new() -> Signals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let ends = [
                SignalKind::terminate(),
                SignalKind::hangup(),
                SignalKind::interrupt(),
                SignalKind::quit(),
            ]
            .into_iter()
            .filter_map(|kind| signal(kind).ok())
            .collect();
            // Listening replaces the default action (stop at once, terminal left raw); the
            // editor stops itself once the terminal is restored.
            let stop = signal(SignalKind::from_raw(rustix::process::Signal::TSTP.as_raw())).ok();
            Signals { ends, stop }
        }
        #[cfg(not(unix))]
        Signals {}
    }

    /// The next signal.
    pub async fn recv(&mut self) -> Signal {
        #[cfg(unix)]
        {
            let none_ends = self.ends.is_empty();
            let ends = async {
                if none_ends {
                    std::future::pending::<()>().await;
                }
                futures_util::future::select_all(self.ends.iter_mut().map(|s| Box::pin(s.recv())))
                    .await;
            };
            let stop = async {
                match &mut self.stop {
                    Some(s) => s.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = ends => Signal::Terminate,
                _ = stop => Signal::Suspend,
            }
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

/// Stops this process (SIGSTOP, which cannot be caught) until the shell continues it.
pub fn stop_self() {
    #[cfg(unix)]
    {
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::STOP);
    }
}
