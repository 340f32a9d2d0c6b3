"""The teacher's live lab view without any UI: a folder of results files polled for changes
(:mod:`.poller`), each changed file read and verified the way ``report`` reads it
(:mod:`.learner`), the class's state and what it shows (:mod:`.state`), and who is stuck
(:mod:`.stuck`). Never imports Textual or torch; never writes into the folder."""
