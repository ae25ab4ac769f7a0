"""The discrete-event simulation of container flows (clock in hours [h]).

See ``freighthub.sim.network`` for the data contract between the parts.
"""
